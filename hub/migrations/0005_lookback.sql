-- xuncha hub, migration 5: look-back rounds (回头看; docs/lookback.md).
--
-- A visit's marks of earlier problems are signed by who made them,
-- as the laptops judge it (domain::sync_rules). The rules so far are kept as they are, renamed,
-- and asked first: only the new check is written here.
ALTER FUNCTION xuncha.rule_broken(text, xuncha.members, jsonb, jsonb) RENAME TO rule_broken_before_lookback;

CREATE FUNCTION xuncha.rule_broken(t text, m xuncha.members, before jsonb, after jsonb) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = xuncha, pg_temp AS $$
DECLARE
  broken text := xuncha.rule_broken_before_lookback(t, m, before, after);
  r jsonb;
BEGIN
  IF broken IS NOT NULL OR t <> 'visits' THEN
    RETURN broken;
  END IF;
  FOR r IN SELECT e FROM jsonb_array_elements(CASE jsonb_typeof(after->'rechecks') WHEN 'array' THEN after->'rechecks' ELSE '[]' END) e LOOP
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(before->'rechecks') WHEN 'array' THEN before->'rechecks' ELSE '[]' END) k
                   WHERE k = r)
       AND r->>'by' IS DISTINCT FROM m.name THEN
      RETURN 'name:rechecks:' || coalesce(r->>'by', '');
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

REVOKE EXECUTE ON FUNCTION xuncha.rule_broken(text, xuncha.members, jsonb, jsonb) FROM PUBLIC;
