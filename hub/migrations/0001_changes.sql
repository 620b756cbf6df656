-- xuncha hub, migration 1: the signed changes, the teams' rosters, and who may write them.
--
-- The hub keeps what the laptops send: every change exactly as its laptop signed it, append
-- only. Laptops connect as members of the role xuncha_laptop: they may read, and insert changes
-- and rosters, never update or delete them (grants, and triggers that refuse even the owner).
-- Every change is checked before it is stored: the login may write for its team (the office
-- says which logins belong to which team: team_logins), its hash covers its text, its laptop is
-- on its team's roster, the laptop's key signed it, it follows that laptop's previous change and
-- is later than every value it replaced; then the team's rules (see migration 2). Signatures are
-- ed25519, checked with libsodium (PyNaCl) from plpython3u: PostgreSQL has no ed25519 of its own.
-- One change is stored at a time (an advisory lock held to the commit): the state tables are
-- rebuilt from whole records, and ids grow in the order transactions commit.

CREATE EXTENSION IF NOT EXISTS plpython3u;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xuncha_laptop') THEN
    CREATE ROLE xuncha_laptop NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xuncha_reader') THEN
    CREATE ROLE xuncha_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xuncha_office') THEN
    CREATE ROLE xuncha_office NOLOGIN;
  END IF;
END $$;

-- Whether `sig_hex` is the ed25519 signature of `msg` by the key `key_hex`.
CREATE FUNCTION xuncha.ed25519_ok(key_hex text, msg bytea, sig_hex text) RETURNS boolean
LANGUAGE plpython3u IMMUTABLE STRICT AS $py$
import nacl.signing
import nacl.exceptions
try:
    nacl.signing.VerifyKey(bytes.fromhex(key_hex)).verify(bytes(msg), bytes.fromhex(sig_hex))
    return True
except (ValueError, TypeError, nacl.exceptions.CryptoError):
    return False
$py$;

-- Which logins write for which team: the office's administrator says so (`xuncha hub allow`).
-- A login writes rosters and changes only for its teams, and reads only theirs.
CREATE TABLE xuncha.team_logins (
  team uuid NOT NULL,
  login name NOT NULL,
  added_by name NOT NULL DEFAULT session_user,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team, login)
);

-- Whether the session's login writes for `t`.
CREATE FUNCTION xuncha.may_write(t uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = xuncha, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM team_logins WHERE team = t AND login = session_user)
$$;

-- One writer at a time, to the commit.
CREATE FUNCTION xuncha.write_lock() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(7720261129) $$;

-- The rosters each team's leader signed, every version as it arrived.
CREATE TABLE xuncha.rosters (
  team uuid NOT NULL,
  version bigint NOT NULL,
  -- The roster exactly as the leader signed it (compact JSON).
  body text NOT NULL,
  signature text NOT NULL,
  pushed_by name NOT NULL DEFAULT session_user,
  pushed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team, version)
);

-- The members of each team's newest roster: who is on which laptop, with which key and roles.
CREATE TABLE xuncha.members (
  team uuid NOT NULL,
  laptop uuid NOT NULL,
  name text NOT NULL,
  key text NOT NULL,
  roles text[] NOT NULL,
  leader boolean NOT NULL,
  numbering boolean NOT NULL,
  PRIMARY KEY (team, laptop)
);

-- A roster arriving: signed by its leader, and for a team already here, by the same leader on
-- the same laptop (a team is its leader's key: the first roster introduces it).
CREATE FUNCTION xuncha.check_roster() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = xuncha, pg_temp AS $$
DECLARE
  r jsonb;
  lead jsonb;
  known record;
  elsewhere record;
BEGIN
  PERFORM write_lock();
  NEW.pushed_by := session_user;
  NEW.pushed_at := now();
  IF NOT may_write(NEW.team) THEN
    RAISE EXCEPTION USING ERRCODE = 'XC012', MESSAGE = format('login %s may not write for team %s', session_user, NEW.team),
      DETAIL = jsonb_build_object('login', session_user, 'team', NEW.team)::text;
  END IF;
  BEGIN
    r := NEW.body::jsonb;
  EXCEPTION WHEN others THEN
    RAISE EXCEPTION USING ERRCODE = 'XC010', MESSAGE = 'roster is not JSON';
  END;
  IF (r->>'team_id')::uuid IS DISTINCT FROM NEW.team OR (r->>'version')::bigint IS DISTINCT FROM NEW.version THEN
    RAISE EXCEPTION USING ERRCODE = 'XC010', MESSAGE = 'roster team or version differs from its text';
  END IF;
  SELECT m INTO lead FROM jsonb_array_elements(r->'members') m WHERE (m->>'leader')::boolean LIMIT 1;
  IF lead IS NULL OR NOT ed25519_ok(lead->>'key', convert_to(NEW.body, 'UTF8'), NEW.signature) THEN
    RAISE EXCEPTION USING ERRCODE = 'XC011', MESSAGE = 'roster not signed by its leader';
  END IF;
  SELECT key, laptop INTO known FROM members WHERE team = NEW.team AND leader LIMIT 1;
  IF FOUND AND (known.key <> lead->>'key' OR known.laptop <> (lead->>'laptop')::uuid) THEN
    RAISE EXCEPTION USING ERRCODE = 'XC011', MESSAGE = 'roster signed by another leader than the team''s';
  END IF;
  -- A laptop is on one team: a roster cannot claim another team's laptop.
  SELECT mb.name, mb.team INTO elsewhere FROM members mb
  WHERE mb.team <> NEW.team AND mb.laptop IN (SELECT (m->>'laptop')::uuid FROM jsonb_array_elements(r->'members') m) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'XC013', MESSAGE = format('roster names %s''s laptop, which is on team %s', elsewhere.name, elsewhere.team),
      DETAIL = jsonb_build_object('name', elsewhere.name)::text;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER check_roster BEFORE INSERT ON xuncha.rosters
  FOR EACH ROW EXECUTE FUNCTION xuncha.check_roster();

-- The newest roster of a team becomes its members.
CREATE FUNCTION xuncha.take_roster() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = xuncha, pg_temp AS $$
DECLARE
  r jsonb := NEW.body::jsonb;
BEGIN
  IF NEW.version < (SELECT max(version) FROM rosters WHERE team = NEW.team) THEN
    RETURN NULL;
  END IF;
  DELETE FROM members WHERE team = NEW.team;
  INSERT INTO members (team, laptop, name, key, roles, leader, numbering)
  SELECT NEW.team, (m->>'laptop')::uuid, m->>'name', m->>'key',
         ARRAY(SELECT jsonb_array_elements_text(m->'roles')),
         coalesce((m->>'leader')::boolean, false),
         (m->>'laptop') = (r->>'numbering')
  FROM jsonb_array_elements(r->'members') m;
  RETURN NULL;
END $$;

CREATE TRIGGER take_roster AFTER INSERT ON xuncha.rosters
  FOR EACH ROW EXECUTE FUNCTION xuncha.take_roster();

-- Every change of every laptop, exactly as it was signed. Append only.
CREATE TABLE xuncha.changes (
  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  team uuid NOT NULL,
  laptop uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  prev text NOT NULL,
  hash text NOT NULL UNIQUE,
  author text NOT NULL,
  at timestamptz NOT NULL,
  -- `at` to the nanosecond, as the laptops order writes (filled by the hub from the text).
  at_ns bigint NOT NULL DEFAULT 0,
  -- How many records it writes (filled by the hub): pulls take pages of a bounded size.
  records integer NOT NULL DEFAULT 0,
  action text NOT NULL,
  sig text NOT NULL,
  -- The JSON the hash covers, byte for byte as the laptop wrote it.
  payload text NOT NULL,
  pushed_by name NOT NULL DEFAULT session_user,
  pushed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (laptop, seq)
);
CREATE INDEX changes_team_id ON xuncha.changes (team, id);
CREATE INDEX changes_team_laptop ON xuncha.changes (team, laptop, seq);

-- Nanoseconds since 1970 of an RFC 3339 time as chrono writes it.
-- (The whole seconds are read without the fraction: a cast would round 59.9999996 up.)
CREATE FUNCTION xuncha.ns_of(t text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT extract(epoch FROM regexp_replace(t, '\.[0-9]+', '')::timestamptz)::bigint * 1000000000
       + coalesce(rpad((regexp_match(t, '\.([0-9]{1,9})'))[1], 9, '0')::bigint, 0)
$$;

-- Why a change is refused, for the laptop to word in its user's language: the change and the
-- rule (the message is for the server's log).
CREATE FUNCTION xuncha.refuse(code text, c xuncha.changes, why text, rule text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = code,
    MESSAGE = format('change %s/%s (%s): %s', c.laptop, c.seq, c.action, why),
    DETAIL = jsonb_build_object('laptop', c.laptop, 'seq', c.seq, 'action', c.action, 'rule', rule)::text;
END $$;

-- A change arriving: the login, its text, hash, laptop, signature, place in its laptop's chain,
-- and its time against the values it replaced.
CREATE FUNCTION xuncha.check_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = xuncha, pg_temp AS $$
DECLARE
  p jsonb;
  m members%ROWTYPE;
  bad record;
BEGIN
  PERFORM write_lock();
  -- The hub numbers the changes, in the order they are stored (a laptop cannot pick an id).
  NEW.id := nextval(pg_get_serial_sequence('xuncha.changes', 'id'));
  NEW.pushed_by := session_user;
  NEW.pushed_at := now();
  IF NOT may_write(NEW.team) THEN
    PERFORM refuse('XC012', NEW, format('login %s may not write for team %s', session_user, NEW.team));
  END IF;
  BEGIN
    p := NEW.payload::jsonb;
  EXCEPTION WHEN others THEN
    PERFORM refuse('XC001', NEW, 'not JSON, or holds a character PostgreSQL does not take (U+0000)');
  END;
  IF p ? 'sig' OR (p->>'laptop')::uuid IS DISTINCT FROM NEW.laptop OR (p->>'seq')::bigint IS DISTINCT FROM NEW.seq
     OR p->>'prev' IS DISTINCT FROM NEW.prev OR p->>'author' IS DISTINCT FROM NEW.author
     OR p->>'action' IS DISTINCT FROM NEW.action OR (p->>'at')::timestamptz IS DISTINCT FROM NEW.at
     OR jsonb_typeof(p->'ops') IS DISTINCT FROM 'array' THEN
    PERFORM refuse('XC001', NEW, 'its columns differ from its text');
  END IF;
  IF encode(sha256(convert_to(NEW.payload, 'UTF8')), 'hex') <> NEW.hash THEN
    PERFORM refuse('XC002', NEW, 'the hash does not match its text');
  END IF;
  NEW.at_ns := ns_of(p->>'at');
  NEW.records := jsonb_array_length(p->'ops');
  SELECT * INTO m FROM members WHERE team = NEW.team AND laptop = NEW.laptop;
  IF NOT FOUND THEN
    PERFORM refuse('XC003', NEW, 'laptop not on the team''s roster');
  END IF;
  IF NOT ed25519_ok(m.key, convert_to(format(E'xuncha-change/1\n%s\n%s', NEW.team, NEW.hash), 'UTF8'), NEW.sig) THEN
    PERFORM refuse('XC004', NEW, format('not signed by %s''s laptop', m.name));
  END IF;
  IF NEW.seq = 1 THEN
    IF NEW.prev <> repeat('0', 64) THEN
      PERFORM refuse('XC005', NEW, 'the first change follows nothing');
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM changes WHERE team = NEW.team AND laptop = NEW.laptop AND seq = NEW.seq - 1 AND hash = NEW.prev) THEN
    PERFORM refuse('XC005', NEW, 'does not follow the hub''s previous change of that laptop');
  END IF;
  -- What an op names: a record of a tree that travels, by a hex key, fields by dotted paths
  -- (none empty, none whole-record, none twice, none inside another), as laptops require.
  SELECT o, f INTO bad FROM jsonb_array_elements(p->'ops') o, jsonb_array_elements(coalesce(o->'f', '[]')) f
  WHERE o->>'t' IS NULL OR o->>'t' NOT IN ('orgs', 'templates', 'rounds', 'visits', 'results', 'findings')
     OR o->>'k' IS NULL OR o->>'k' !~ '^([0-9a-f]{2})+$'
     OR f->>'p' IS NULL OR f->>'p' !~ '^[^.$][^.]*(\.[^.]+)*$' OR NOT f ? 'v'
  LIMIT 1;
  -- (In time linear in the fields: each path's prefixes are looked up among the op's paths.)
  IF FOUND OR EXISTS (
       SELECT 1 FROM jsonb_array_elements(p->'ops') o
       WHERE jsonb_typeof(o->'f') IS DISTINCT FROM 'array' OR jsonb_array_length(o->'f') = 0)
     OR EXISTS (
       WITH f AS (SELECT n, x->>'p' AS path, string_to_array(x->>'p', '.') AS parts
                  FROM jsonb_array_elements(p->'ops') WITH ORDINALITY AS ops(o, n), jsonb_array_elements(o->'f') x)
       SELECT 1 FROM f GROUP BY n, path HAVING count(*) > 1
       UNION ALL
       SELECT 1 FROM f a JOIN LATERAL generate_series(1, cardinality(a.parts) - 1) k ON true
       JOIN f b ON b.n = a.n AND b.path = array_to_string(a.parts[1:k], '.')) THEN
    PERFORM refuse('XC009', NEW, 'an op names no record of a tree that travels, or a field twice or inside another');
  END IF;
  -- Every value it replaced is on the hub, and older: what a laptop's write always is.
  SELECT d INTO bad FROM jsonb_array_elements(p->'ops') o, jsonb_array_elements(o->'f') f,
         jsonb_array_elements(coalesce(f->'s', '[]')) d
  LEFT JOIN changes c ON c.team = NEW.team AND c.laptop = (d->>'laptop')::uuid AND c.seq = (d->>'seq')::bigint
  WHERE c.laptop IS NULL OR c.at_ns >= NEW.at_ns
  LIMIT 1;
  IF FOUND THEN
    PERFORM refuse('XC008', NEW, format('it replaced a value the hub lacks or a later one (%s)', bad.d));
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER check_change BEFORE INSERT ON xuncha.changes
  FOR EACH ROW EXECUTE FUNCTION xuncha.check_change();

-- Nothing stored is ever changed or removed, whoever asks.
CREATE FUNCTION xuncha.append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'XC020', MESSAGE = format('%s is append only: %s refused', TG_TABLE_NAME, TG_OP);
END $$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON xuncha.changes
  FOR EACH ROW EXECUTE FUNCTION xuncha.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON xuncha.changes
  FOR EACH STATEMENT EXECUTE FUNCTION xuncha.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON xuncha.rosters
  FOR EACH ROW EXECUTE FUNCTION xuncha.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON xuncha.rosters
  FOR EACH STATEMENT EXECUTE FUNCTION xuncha.append_only();
