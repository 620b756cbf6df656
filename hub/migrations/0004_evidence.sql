-- xuncha hub, migration 4: evidence files (photos, scans, documents attached to findings and
-- rectification steps; docs/evidence.md).
--
-- The files themselves, by team and SHA-256: a laptop pushes the files its changes name before
-- the changes, and pulls those it lacks. The hub checks every file against its hash itself (a
-- constraint), and never changes or removes one (a trigger that refuses even the owner). A
-- finding's list of files is a log like its steps (finding_files): files attached on two laptops
-- at once are both kept. The team's rules learn who may attach (the finding's inspector before
-- approval, or a reviewer) and that a step recording files is not the report of a fix.

CREATE TABLE xuncha.files (
  team uuid NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL,
  content bytea NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team, sha256),
  CONSTRAINT content_has_its_hash CHECK (encode(sha256(content), 'hex') = sha256 AND octet_length(content) = size)
);

CREATE FUNCTION xuncha.files_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an evidence file is never changed or removed' USING ERRCODE = 'XC021';
END $$;

CREATE TRIGGER files_kept BEFORE UPDATE OR DELETE ON xuncha.files
  FOR EACH ROW EXECUTE FUNCTION xuncha.files_kept();

-- Every file entry any write carried on a finding (a log), each once.
CREATE TABLE xuncha.finding_files (
  finding text NOT NULL,
  entry_hash text NOT NULL,
  entry jsonb NOT NULL,
  sha256 text,
  PRIMARY KEY (finding, entry_hash)
);

-- The findings' rows: the files merged as a log, like the steps.
CREATE OR REPLACE FUNCTION xuncha.refresh(t text, keys text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = xuncha, pg_temp AS $$
BEGIN
  IF t = 'orgs' THEN
    INSERT INTO organisations (key, code, name, parent, level, field, doc)
    SELECT key, coalesce(d->>'code', ''), d->>'name', d->>'parent', d->>'level', d->>'field', d
    FROM (SELECT key, doc_agg(path, value ORDER BY path) d FROM fields WHERE tree = t AND key = ANY(keys) GROUP BY key) x
    ON CONFLICT (key) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, parent = EXCLUDED.parent,
      level = EXCLUDED.level, field = EXCLUDED.field, doc = EXCLUDED.doc;
    -- The lines of these organisations and of everything under them (a name or parent that
    -- changed, or a parent that arrived after its children), each walked up to the top or to
    -- the first organisation the hub does not hold (a loop stops where it would repeat).
    WITH RECURSIVE below AS (
      SELECT o.code FROM organisations o WHERE o.key = ANY(keys)
      UNION
      SELECT o.code FROM organisations o JOIN below b ON o.parent = b.code
    ), up AS (
      SELECT o.code, ARRAY[o.code] AS codes, ARRAY[coalesce(o.name, o.code)] AS names, o.parent AS next, 1 AS depth
      FROM below b JOIN organisations o ON o.code = b.code
      UNION ALL
      SELECT up.code, p.code || up.codes, coalesce(p.name, p.code) || up.names, p.parent, up.depth + 1
      FROM up JOIN organisations p ON p.code = up.next
      WHERE up.depth < 32 AND NOT p.code = ANY(up.codes)
    )
    INSERT INTO org_lines (code, path_codes, path)
    SELECT DISTINCT ON (code) code, codes, array_to_string(names, ' / ') FROM up ORDER BY code, depth DESC
    ON CONFLICT (code) DO UPDATE SET path_codes = EXCLUDED.path_codes, path = EXCLUDED.path;
  ELSIF t = 'templates' THEN
    INSERT INTO templates (key, id, hash, doc)
    SELECT key, coalesce(d#>>'{template,id}', d->>'id'), d->>'hash', d
    FROM (SELECT key, doc_agg(path, value ORDER BY path) d FROM fields WHERE tree = t AND key = ANY(keys) GROUP BY key) x
    ON CONFLICT (key) DO UPDATE SET id = EXCLUDED.id, hash = EXCLUDED.hash, doc = EXCLUDED.doc;
  ELSIF t = 'rounds' THEN
    INSERT INTO rounds (key, id, title, quarter, template_id, template_hash, doc)
    SELECT key, (d->>'id')::uuid, d->>'title', d->>'quarter', d->>'template_id', d->>'template_hash', d
    FROM (SELECT key, doc_agg(path, value ORDER BY path) d FROM fields WHERE tree = t AND key = ANY(keys) GROUP BY key) x
    ON CONFLICT (key) DO UPDATE SET id = EXCLUDED.id, title = EXCLUDED.title, quarter = EXCLUDED.quarter,
      template_id = EXCLUDED.template_id, template_hash = EXCLUDED.template_hash, doc = EXCLUDED.doc;
  ELSIF t = 'visits' THEN
    INSERT INTO visits (key, round, org, status, inspector, submitted_at, reviewed_by, doc)
    SELECT key, (d->>'round')::uuid, d->>'org', d->>'status', d->>'inspector', (d->>'submitted_at')::timestamptz,
           d->>'reviewed_by', d
    FROM (SELECT key, doc_agg(path, value ORDER BY path) d FROM fields WHERE tree = t AND key = ANY(keys) GROUP BY key) x
    ON CONFLICT (key) DO UPDATE SET round = EXCLUDED.round, org = EXCLUDED.org, status = EXCLUDED.status,
      inspector = EXCLUDED.inspector, submitted_at = EXCLUDED.submitted_at, reviewed_by = EXCLUDED.reviewed_by, doc = EXCLUDED.doc;
  ELSIF t = 'results' THEN
    INSERT INTO results (key, round, org, item, verdict, note, by, at)
    SELECT key, (d->>'round')::uuid, d->>'org', d->>'item', d->>'verdict', d->>'note', d->>'by', (d->>'at')::timestamptz
    FROM (SELECT key, doc_agg(path, value ORDER BY path) d FROM fields WHERE tree = t AND key = ANY(keys) GROUP BY key) x
    ON CONFLICT (key) DO UPDATE SET round = EXCLUDED.round, org = EXCLUDED.org, item = EXCLUDED.item,
      verdict = EXCLUDED.verdict, note = EXCLUDED.note, by = EXCLUDED.by, at = EXCLUDED.at;
  ELSIF t = 'findings' THEN
    INSERT INTO findings (key, id, round, org, item, number, severity, rect_type, status, review, deadline,
                          approved_on, responsible_person, created_by, doc)
    SELECT key, (d->>'id')::uuid, (d->>'round')::uuid, d->>'org', d->>'item', d->>'number', d->>'severity',
           d->>'rect_type', d->>'status', coalesce(d->>'review', '待审核'), (d->>'deadline')::date,
           (d->>'approved_on')::date, d->>'responsible_person', d->>'created_by', d
    FROM (
      -- The files: likewise the latest write's list, or every file any write carried.
      SELECT z.key, CASE WHEN (SELECT count(*) FROM finding_files s WHERE s.finding = z.key)
                              > coalesce(jsonb_array_length(CASE jsonb_typeof(z.d->'attachments') WHEN 'array' THEN z.d->'attachments' END), 0)
                         THEN jset(z.d, '{attachments}', (SELECT jsonb_agg(s.entry ORDER BY s.entry->>'at', s.entry::text)
                                                          FROM finding_files s WHERE s.finding = z.key))
                         ELSE z.d END AS d
      FROM (
      -- The steps: the latest write's list, or, when writes made at once carried steps it lacks,
      -- every step, ordered by date then text (as laptops merge a log).
      SELECT y.key, CASE WHEN y.steps > coalesce(jsonb_array_length(CASE jsonb_typeof(y.d#>'{rect,updates}')
                                                                WHEN 'array' THEN y.d#>'{rect,updates}' END), 0)
                         THEN jset(y.d, '{rect,updates}', (SELECT jsonb_agg(s.entry ORDER BY s.on_date, s.entry::text)
                                                           FROM rect_steps s WHERE s.finding = y.key))
                         ELSE y.d END AS d
      FROM (SELECT f.key, doc_agg(f.path, f.value ORDER BY f.path) d,
                   (SELECT count(*) FROM rect_steps s WHERE s.finding = f.key) AS steps
            FROM fields f WHERE f.tree = t AND f.key = ANY(keys) GROUP BY f.key) y
      ) z
    ) x
    ON CONFLICT (key) DO UPDATE SET id = EXCLUDED.id, round = EXCLUDED.round, org = EXCLUDED.org, item = EXCLUDED.item,
      number = EXCLUDED.number, severity = EXCLUDED.severity, rect_type = EXCLUDED.rect_type, status = EXCLUDED.status,
      review = EXCLUDED.review, deadline = EXCLUDED.deadline, approved_on = EXCLUDED.approved_on,
      responsible_person = EXCLUDED.responsible_person, created_by = EXCLUDED.created_by, doc = EXCLUDED.doc;
  END IF;
END $$;

-- The team's rules, with the files.
CREATE OR REPLACE FUNCTION xuncha.rule_broken(t text, m xuncha.members, before jsonb, after jsonb) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = xuncha, pg_temp AS $$
DECLARE
  o jsonb := before;
  v jsonb := after;
  reviewer boolean := 'reviewer' = ANY(m.roles);
  followup boolean := 'followup' = ANY(m.roles);
  moved boolean;
  reviewed boolean;
  rectified boolean;
  u jsonb;
  last_done jsonb;
  added boolean := false;
BEGIN
  IF t = 'visits' THEN
    moved := CASE WHEN o IS NULL THEN v->>'status' IS DISTINCT FROM '未开始' ELSE o->>'status' IS DISTINCT FROM v->>'status' END;
    reviewed := (moved AND v->>'status' IN ('已通过', '已退回'))
      OR (CASE WHEN o IS NULL THEN v->>'reviewed_by' IS NOT NULL ELSE o->>'reviewed_by' IS DISTINCT FROM v->>'reviewed_by' END)
      OR (CASE WHEN o IS NULL THEN coalesce(v->>'return_comment', '') <> ''
               ELSE coalesce(o->>'return_comment', '') <> coalesce(v->>'return_comment', '') END);
    IF reviewed THEN
      IF NOT reviewer THEN RETURN 'review'; END IF;
      IF v->>'inspector' = m.name THEN RETURN 'own_visit'; END IF;
    END IF;
    IF coalesce(v->>'inspector', '') <> '' AND (o IS NULL OR o->>'inspector' IS DISTINCT FROM v->>'inspector')
       AND v->>'inspector' <> m.name THEN
      RETURN 'name:inspector:' || (v->>'inspector');
    END IF;
    IF v->>'reviewed_by' IS NOT NULL AND (o IS NULL OR o->>'reviewed_by' IS DISTINCT FROM v->>'reviewed_by')
       AND v->>'reviewed_by' <> m.name THEN
      RETURN 'name:reviewed_by:' || (v->>'reviewed_by');
    END IF;
  ELSIF t = 'findings' THEN
    IF v->>'number' IS NOT NULL AND (o IS NULL OR o->>'number' IS DISTINCT FROM v->>'number') AND NOT m.numbering THEN
      RETURN 'numbering';
    END IF;
    reviewed := CASE WHEN o IS NULL THEN
        coalesce(v->>'review', '待审核') <> '待审核' OR v->>'corrected_by' IS NOT NULL OR v->>'approved_on' IS NOT NULL
      ELSE
        coalesce(o->>'review', '待审核') <> coalesce(v->>'review', '待审核')
        OR coalesce(o->>'review_comment', '') <> coalesce(v->>'review_comment', '')
        OR o->>'corrected_by' IS DISTINCT FROM v->>'corrected_by'
        OR o->>'approved_on' IS DISTINCT FROM v->>'approved_on'
        OR (v->>'status' = '已撤销' AND o->>'status' IS DISTINCT FROM '已撤销')
      END;
    IF reviewed AND NOT reviewer THEN RETURN 'review'; END IF;
    IF o IS NOT NULL AND o->>'number' IS NOT NULL AND o->>'deadline' IS DISTINCT FROM v->>'deadline' AND NOT reviewer THEN
      RETURN 'review';
    END IF;
    rectified := CASE WHEN o IS NULL THEN
        v->>'status' IS DISTINCT FROM '待整改' OR NOT xuncha.blank(v#>'{rect,updates}')
      ELSE
        (o->>'status' IS DISTINCT FROM v->>'status' AND v->>'status' IS DISTINCT FROM '已撤销')
        OR xuncha.norm(coalesce(o->'rect', '{}')) <> xuncha.norm(coalesce(v->'rect', '{}'))
      END;
    IF rectified AND NOT (followup OR reviewer) THEN RETURN 'rectify'; END IF;
    IF o IS NULL AND v->>'created_by' IS DISTINCT FROM m.name THEN
      RETURN 'name:created_by:' || coalesce(v->>'created_by', '');
    END IF;
    IF v->>'corrected_by' IS NOT NULL AND (o IS NULL OR o->>'corrected_by' IS DISTINCT FROM v->>'corrected_by')
       AND v->>'corrected_by' <> m.name THEN
      RETURN 'name:corrected_by:' || (v->>'corrected_by');
    END IF;
    FOR u IN SELECT e FROM jsonb_array_elements(coalesce(v#>'{rect,updates}', '[]')) e LOOP
      IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(o#>'{rect,updates}', '[]')) k WHERE k = u)
         AND u->>'by' IS DISTINCT FROM m.name THEN
        RETURN 'name:rect.updates:' || coalesce(u->>'by', '');
      END IF;
      -- A step that only records files moves nothing: it is not the report that the fix is done.
      IF u->>'to' = '已整改待验收' AND u->>'from' IS DISTINCT FROM u->>'to' THEN last_done := u; END IF;
    END LOOP;
    -- Files on a finding: its inspector's before approval, or a reviewer's, each attached by the
    -- change's author.
    FOR u IN SELECT e FROM jsonb_array_elements(CASE jsonb_typeof(v->'attachments') WHEN 'array' THEN v->'attachments' ELSE '[]' END) e LOOP
      IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(o->'attachments') WHEN 'array' THEN o->'attachments' ELSE '[]' END) k
                     WHERE k = u) THEN
        IF u->>'by' IS DISTINCT FROM m.name THEN
          RETURN 'name:attachments:' || coalesce(u->>'by', '');
        END IF;
        added := true;
      END IF;
    END LOOP;
    IF added AND NOT reviewer AND NOT (coalesce(v->>'created_by', '') = m.name AND (o IS NULL OR o->>'number' IS NULL)) THEN
      RETURN 'attach';
    END IF;
    IF o IS NOT NULL AND o->>'status' = '申请延期' AND v->>'status' = '整改中' AND NOT reviewer THEN
      RETURN 'review';
    END IF;
    IF v->>'status' = '已销号' AND (o IS NULL OR o->>'status' IS DISTINCT FROM '已销号')
       AND last_done IS NOT NULL AND last_done->>'by' = m.name THEN
      RETURN 'close_own';
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A change stored: its files' entries kept as a log too.
CREATE OR REPLACE FUNCTION xuncha.apply_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = xuncha, pg_temp AS $$
DECLARE
  p jsonb := NEW.payload::jsonb;
  m members%ROWTYPE;
  judged boolean;
  befores jsonb := '{}';
  r record;
  after jsonb;
  broken text;
BEGIN
  SELECT * INTO m FROM members WHERE team = NEW.team AND laptop = NEW.laptop;
  judged := NOT (NEW.action = 'sync.adopt' AND m.leader);
  IF judged THEN
    FOR r IN SELECT DISTINCT o->>'t' AS t, o->>'k' AS k FROM jsonb_array_elements(p->'ops') o
             WHERE o->>'t' IN ('visits', 'findings') LOOP
      befores := befores || jsonb_build_object(r.t || '/' || r.k,
        CASE r.t WHEN 'visits' THEN (SELECT doc FROM visits WHERE key = r.k)
                 ELSE (SELECT doc FROM findings WHERE key = r.k) END);
    END LOOP;
  END IF;

  INSERT INTO fields AS f (tree, key, path, value, at_ns, laptop, seq)
  -- A record named twice in one change keeps its first value, as on a laptop.
  SELECT DISTINCT ON (o->>'t', o->>'k', s->>'p') o->>'t', o->>'k', s->>'p', coalesce(s->'v', 'null'), NEW.at_ns, NEW.laptop, NEW.seq
  FROM jsonb_array_elements(p->'ops') WITH ORDINALITY AS ox(o, n), jsonb_array_elements(o->'f') s
  ORDER BY o->>'t', o->>'k', s->>'p', n
  ON CONFLICT (tree, key, path) DO UPDATE SET value = EXCLUDED.value, at_ns = EXCLUDED.at_ns, laptop = EXCLUDED.laptop, seq = EXCLUDED.seq
  WHERE (EXCLUDED.at_ns, EXCLUDED.laptop, EXCLUDED.seq) > (f.at_ns, f.laptop, f.seq);

  -- Records of another team are not this team's to touch.
  INSERT INTO owners (tree, key, team)
  SELECT DISTINCT o->>'t', o->>'k', NEW.team FROM jsonb_array_elements(p->'ops') o
  WHERE o->>'t' IN ('rounds', 'visits', 'results', 'findings')
  ON CONFLICT DO NOTHING;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p->'ops') o JOIN owners w ON w.tree = o->>'t' AND w.key = o->>'k'
             WHERE w.team <> NEW.team) THEN
    PERFORM refuse('XC007', NEW, 'it touches another team''s records');
  END IF;

  INSERT INTO rect_steps (finding, entry_hash, entry, on_date, by, from_status, to_status, note, deadline_to)
  SELECT o->>'k', encode(sha256(convert_to(e::text, 'UTF8')), 'hex'), e, (e->>'on')::date, e->>'by', e->>'from', e->>'to',
         e->>'note', (e->>'deadline_to')::date
  FROM jsonb_array_elements(p->'ops') o, jsonb_array_elements(o->'f') s, jsonb_array_elements(s->'v') e
  WHERE o->>'t' = 'findings' AND s->>'p' = 'rect.updates' AND jsonb_typeof(s->'v') = 'array'
  ON CONFLICT DO NOTHING;

  INSERT INTO finding_files (finding, entry_hash, entry, sha256)
  SELECT o->>'k', encode(sha256(convert_to(e::text, 'UTF8')), 'hex'), e, e->>'sha256'
  FROM jsonb_array_elements(p->'ops') o, jsonb_array_elements(o->'f') s, jsonb_array_elements(s->'v') e
  WHERE o->>'t' = 'findings' AND s->>'p' = 'attachments' AND jsonb_typeof(s->'v') = 'array'
  ON CONFLICT DO NOTHING;

  FOR r IN SELECT o->>'t' AS t, array_agg(DISTINCT o->>'k') AS ks FROM jsonb_array_elements(p->'ops') o GROUP BY o->>'t' LOOP
    PERFORM refresh(r.t, r.ks);
  END LOOP;

  IF judged THEN
    FOR r IN SELECT DISTINCT o->>'t' AS t, o->>'k' AS k FROM jsonb_array_elements(p->'ops') o
             WHERE o->>'t' IN ('visits', 'findings') LOOP
      after := CASE r.t WHEN 'visits' THEN (SELECT doc FROM visits WHERE key = r.k)
                        ELSE (SELECT doc FROM findings WHERE key = r.k) END;
      broken := rule_broken(r.t, m, CASE WHEN befores->(r.t || '/' || r.k) = 'null'::jsonb THEN NULL
                                         ELSE befores->(r.t || '/' || r.k) END, after);
      IF broken IS NOT NULL THEN
        PERFORM refuse('XC006', NEW, format('%s breaks the team''s rule %s', m.name, broken), broken);
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

GRANT SELECT ON xuncha.files, xuncha.finding_files TO xuncha_reader, xuncha_office;
GRANT SELECT, INSERT ON xuncha.files TO xuncha_laptop;
ALTER TABLE xuncha.files ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_team ON xuncha.files FOR SELECT TO xuncha_laptop USING (xuncha.may_write(team));
CREATE POLICY own_team_in ON xuncha.files FOR INSERT TO xuncha_laptop WITH CHECK (xuncha.may_write(team));
CREATE POLICY office ON xuncha.files FOR SELECT TO xuncha_office, xuncha_reader USING (true);
