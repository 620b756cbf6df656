-- xuncha hub, migration 3: the office's views, the scores table, and the grants.
--
-- Views anyone with the role xuncha_reader can query from psql, a spreadsheet or a BI tool.
-- Scores and grades are computed by xuncha's own scoring (the template's points, partial
-- deductions, vetoes, bands), never re-implemented in SQL: `xuncha hub refresh`, run by the
-- office (role xuncha_office), writes them into visit_scores.

-- Each organisation with the codes and names of its line, from the top (an area is any code
-- on the line).
CREATE VIEW xuncha.org_paths AS
SELECT o.code, o.name, o.level, o.field, o.parent, l.path_codes, l.path
FROM xuncha.organisations o JOIN xuncha.org_lines l ON l.code = o.code;

-- Every finding with its organisation's line, round and status; `due` is its deadline unless
-- it is long term or withdrawn; `overdue` as of today.
CREATE VIEW xuncha.findings_view AS
SELECT f.number, f.org AS org_code, op.name AS org_name, op.path AS org_path, op.path_codes,
       r.title AS round_title, r.quarter, f.item, f.doc->>'description' AS description, f.severity,
       f.rect_type, f.status, f.review, f.deadline, f.approved_on, f.responsible_person,
       f.doc->'rect'->>'overseer' AS overseer, f.doc->'rect'->>'progress' AS progress,
       (f.number IS NOT NULL AND f.rect_type IS DISTINCT FROM '长期整改' AND f.status IS DISTINCT FROM '已撤销') AS tracked,
       (f.number IS NOT NULL AND f.rect_type IS DISTINCT FROM '长期整改'
        AND f.status NOT IN ('已整改待验收', '已销号', '已撤销') AND f.deadline < current_date) AS overdue,
       f.created_by, f.id, f.round
FROM xuncha.findings f
LEFT JOIN xuncha.org_paths op ON op.code = f.org
LEFT JOIN xuncha.rounds r ON r.id = f.round;

-- Each visit's score, grade and warning as xuncha computed them (see `xuncha hub refresh`).
-- The warning depends on the day (an open finding past its deadline raises it): both are kept
-- with the earliest open deadline, and the view picks as of today.
CREATE TABLE xuncha.visit_scores (
  visit text PRIMARY KEY,
  round uuid NOT NULL,
  org text NOT NULL,
  score numeric,
  health numeric,
  grade text,
  veto boolean NOT NULL DEFAULT false,
  answered integer,
  applicable integer,
  findings integer,
  warning_calm text,
  warning_overdue text,
  first_deadline date,
  computed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visit_scores_org ON xuncha.visit_scores (org);
-- How far the scores have been computed: the last change id taken into account.
CREATE TABLE xuncha.office_state (
  name text PRIMARY KEY,
  value bigint NOT NULL
);

CREATE VIEW xuncha.visit_grades AS
SELECT v.round, r.title AS round_title, r.quarter, v.org AS org_code, op.name AS org_name, op.path AS org_path,
       op.path_codes, v.status, v.inspector, v.reviewed_by, v.submitted_at,
       s.score, s.health, s.grade, s.veto, s.answered, s.applicable, s.findings,
       CASE WHEN s.first_deadline < current_date THEN s.warning_overdue ELSE s.warning_calm END AS warning,
       s.computed_at
FROM xuncha.visits v
LEFT JOIN xuncha.visit_scores s ON s.visit = v.key
LEFT JOIN xuncha.org_paths op ON op.code = v.org
LEFT JOIN xuncha.rounds r ON r.id = v.round;

-- Per area (every code on an organisation's line) the tracked problems: due by today, closed
-- (reported done or 销号), overdue.
CREATE VIEW xuncha.rectification_by_area AS
SELECT a.code AS area_code, coalesce(ao.name, a.code) AS area_name,
       count(*) AS problems,
       count(*) FILTER (WHERE f.deadline <= current_date) AS due,
       count(*) FILTER (WHERE f.status IN ('已整改待验收', '已销号')) AS closed,
       count(*) FILTER (WHERE f.overdue) AS overdue
FROM xuncha.findings_view f
CROSS JOIN LATERAL unnest(f.path_codes) AS a(code)
LEFT JOIN xuncha.organisations ao ON ao.code = a.code
WHERE f.tracked
GROUP BY a.code, ao.name;

-- The changes each laptop sent, without their text: who pushed what and when.
CREATE VIEW xuncha.change_log AS
SELECT c.id, c.team, c.laptop, m.name AS member, c.seq, c.author, c.at, c.action, c.pushed_by, c.pushed_at
FROM xuncha.changes c LEFT JOIN xuncha.members m ON m.team = c.team AND m.laptop = c.laptop;

-- The office's queries are short scans whose row counts the planner overestimates on this
-- schema's views: JIT compilation cost more than it saved at every size measured (benches/hub.rs:
-- 2.5x slower at 20,000 organisations, 10% at 200,000). Off for this database.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); END $$;

-- Who may do what. Laptops: insert changes and rosters for their teams (checked by the
-- triggers) and read their teams' changes and rosters, nothing else: not another team's work,
-- not the office's tables and views. Readers: read everything. The office: read, and write the
-- scores. Functions run only from the triggers and the views, never called by a login.
GRANT USAGE ON SCHEMA xuncha TO xuncha_laptop, xuncha_reader, xuncha_office;
GRANT SELECT ON ALL TABLES IN SCHEMA xuncha TO xuncha_reader, xuncha_office;
GRANT SELECT ON xuncha.changes, xuncha.rosters, xuncha.members, xuncha.team_logins TO xuncha_laptop;
GRANT INSERT ON xuncha.changes, xuncha.rosters TO xuncha_laptop;
GRANT INSERT, UPDATE ON xuncha.visit_scores, xuncha.office_state TO xuncha_office;
REVOKE UPDATE, DELETE, TRUNCATE ON xuncha.changes, xuncha.rosters FROM PUBLIC, xuncha_laptop, xuncha_reader, xuncha_office;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA xuncha FROM PUBLIC;
GRANT EXECUTE ON FUNCTION xuncha.may_write(uuid) TO xuncha_laptop;

-- A laptop's login reads its teams' rows only (the triggers, run as the owner, see all).
ALTER TABLE xuncha.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE xuncha.rosters ENABLE ROW LEVEL SECURITY;
ALTER TABLE xuncha.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE xuncha.team_logins ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_team ON xuncha.changes FOR SELECT TO xuncha_laptop USING (xuncha.may_write(team));
CREATE POLICY own_team ON xuncha.rosters FOR SELECT TO xuncha_laptop USING (xuncha.may_write(team));
CREATE POLICY own_team ON xuncha.members FOR SELECT TO xuncha_laptop USING (xuncha.may_write(team));
CREATE POLICY own_login ON xuncha.team_logins FOR SELECT TO xuncha_laptop USING (login = session_user);
CREATE POLICY checked ON xuncha.changes FOR INSERT TO xuncha_laptop WITH CHECK (true);
CREATE POLICY checked ON xuncha.rosters FOR INSERT TO xuncha_laptop WITH CHECK (true);
CREATE POLICY office ON xuncha.changes FOR SELECT TO xuncha_office, xuncha_reader USING (true);
CREATE POLICY office ON xuncha.rosters FOR SELECT TO xuncha_office, xuncha_reader USING (true);
CREATE POLICY office ON xuncha.members FOR SELECT TO xuncha_office, xuncha_reader USING (true);
CREATE POLICY office ON xuncha.team_logins FOR SELECT TO xuncha_office, xuncha_reader USING (true);
