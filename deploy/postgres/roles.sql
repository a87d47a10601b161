-- Least-privilege roles for Holdout on PostgreSQL 15+. Run with psql as a superuser (or a role with
-- CREATEROLE that owns the database), connected to Holdout's database:
--
--   psql "postgres://postgres@db.internal/holdout" \
--        -v owner_password="$HOLDOUT_OWNER_PASSWORD" -v app_password="$HOLDOUT_APP_PASSWORD" \
--        -f deploy/postgres/roles.sql
--
-- Optional: -v owner_role=… -v app_role=… (defaults holdout_owner, holdout_app).
--
-- holdout_owner  owns the schema and every table. `holdout migrate` and the partition maintenance
--                commands (`holdout partitions ensure|archive|restore`) run as this role: creating,
--                detaching and dropping partitions needs ownership of mission_logs.
-- holdout_app    what `holdout api`, `holdout worker` and `holdout serve` connect as. SELECT and
--                INSERT on every table; UPDATE where rows change (users, survivors, missions,
--                channels, …); no UPDATE or DELETE on mission_logs, which is append-only; no DELETE
--                anywhere; no DDL. At start-up it checks migrations and partitions and finds nothing
--                to do, because the owner ran them first.
--
-- Idempotent: run it once before the first `holdout migrate` (roles, schema, default privileges) and
-- again after every migration that adds a table (it grants UPDATE on the new tables).

\set ON_ERROR_STOP on

\if :{?owner_role}
\else
  \set owner_role holdout_owner
\endif
\if :{?app_role}
\else
  \set app_role holdout_app
\endif
\if :{?owner_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the owner role''s password: psql -v owner_password=… -v app_password=…'; END $$;
\endif
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the app role''s password: psql -v owner_password=… -v app_password=…'; END $$;
\endif

BEGIN;

-- Roles: created once, passwords (re)set on every run so that this file also rotates them.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', :'owner_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner_role') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', :'app_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
ALTER ROLE :"owner_role" PASSWORD :'owner_password';
ALTER ROLE :"app_role" PASSWORD :'app_password';

-- The database and its public schema belong to the owner; nobody else may create objects in it.
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner_role') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";

-- Tables the owner creates later (migrations, monthly partitions) are readable and insertable by the
-- app at once. UPDATE is granted table by table below, so that mission_logs never gets it.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO :"app_role";

-- Tables that exist now (after a migration): hand them to the owner if someone else created them,
-- then grant the app what it uses.
SELECT format('ALTER TABLE %I OWNER TO %I', c.relname, :'owner_role')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
   AND pg_get_userbyid(c.relowner) <> :'owner_role' \gexec
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO :"app_role";
SELECT format('GRANT UPDATE ON %I TO %I', c.relname, :'app_role')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND c.relname NOT IN ('mission_logs', 'holdout_migrations') \gexec
-- A viewer may leave an event's sign-up (or a moderator remove them): the one row the app deletes.
SELECT format('GRANT DELETE ON %I TO %I', c.relname, :'app_role')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relname = 'event_participants' \gexec
-- The app reads the migration history (/readyz) but never writes it; mission_logs is append-only.
SELECT format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM %I', c.relname, :'app_role')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relname = 'holdout_migrations' \gexec
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', c.relname, :'app_role')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace
   AND (c.relname = 'mission_logs' OR c.relname ~ '^mission_logs_y[0-9]{4}m[0-9]{2}$') \gexec

COMMIT;
