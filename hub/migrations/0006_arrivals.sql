-- xuncha hub, migration 6: what arrives late is judged as the laptops judge it; evidence files
-- cannot be truncated away.
--
-- Two of the team's rules read the record as it stands when a change arrives; a change made
-- offline meets a record that moved on meanwhile. As on the laptops (domain::sync_rules):
-- - an inspector's file on their own finding, stamped (UTC) on or before the day it was
--   approved, was attached before approval: not refused because the approval landed first;
-- - an inspector withdrawing their own finding before it was numbered (a verdict that denies
--   it, a look-back's 反弹 taken back), with its reason, is no reviewer's act.
-- The rules so far are kept, renamed, and asked again without what these allow.
ALTER FUNCTION xuncha.rule_broken(text, xuncha.members, jsonb, jsonb) RENAME TO rule_broken_before_arrivals;

CREATE FUNCTION xuncha.rule_broken(t text, m xuncha.members, before jsonb, after jsonb) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = xuncha, pg_temp AS $$
DECLARE
  broken text := xuncha.rule_broken_before_arrivals(t, m, before, after);
  had jsonb;
BEGIN
  IF broken IS NULL OR t <> 'findings' OR before IS NULL THEN
    RETURN broken;
  END IF;
  IF broken = 'review' AND before->>'number' IS NULL AND after->>'number' IS NULL AND after->>'created_by' = m.name
     AND after->>'status' = '已撤销' AND before->>'status' IS DISTINCT FROM '已撤销' THEN
    RETURN xuncha.rule_broken_before_arrivals(t, m, before,
      jsonb_set(jsonb_set(after, '{status}', before->'status'), '{review_comment}', coalesce(before->'review_comment', '""'::jsonb)));
  END IF;
  had := CASE jsonb_typeof(before->'attachments') WHEN 'array' THEN before->'attachments' ELSE '[]'::jsonb END;
  IF broken = 'attach' AND after->>'created_by' = m.name AND before->>'approved_on' IS NOT NULL
     AND NOT EXISTS (
       SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(after->'attachments') WHEN 'array' THEN after->'attachments' ELSE '[]' END) e
       WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(had) k WHERE k = e)
         AND ((e->>'at')::timestamptz AT TIME ZONE 'UTC')::date > (before->>'approved_on')::date) THEN
    RETURN xuncha.rule_broken_before_arrivals(t, m, before, jsonb_set(after, '{attachments}', had));
  END IF;
  RETURN broken;
END $$;

REVOKE EXECUTE ON FUNCTION xuncha.rule_broken(text, xuncha.members, jsonb, jsonb) FROM PUBLIC;

-- TRUNCATE fires no row trigger: the files are kept against it too, as the change log is.
CREATE TRIGGER files_kept_truncate BEFORE TRUNCATE ON xuncha.files
  FOR EACH STATEMENT EXECUTE FUNCTION xuncha.files_kept();
