using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Catalog.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class NameKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "normalized_name",
                table: "rewards",
                type: "text",
                nullable: true,
                computedColumnSql: "upper(normalize(regexp_replace(name, '[\\u200B-\\u200D\\u2060\\uFEFF]', '', 'g'), NFKC) COLLATE \"und-x-icu\")",
                stored: true);

            migrationBuilder.AddColumn<string>(
                name: "normalized_name",
                table: "quests",
                type: "text",
                nullable: true,
                computedColumnSql: "upper(normalize(regexp_replace(name, '[\\u200B-\\u200D\\u2060\\uFEFF]', '', 'g'), NFKC) COLLATE \"und-x-icu\")",
                stored: true);

            // Look-alike names already in the database (differing only by case, width or an
            // invisible character) would make the unique index fail, and with it the start. The
            // older row (the lower id: ids are UUIDv7, in creation order) keeps its name; each later
            // one is renamed with a suffix ("name~2", "name~3", … until its key is free; zero-width
            // characters dropped, as the API now refuses them), logged
            // as a WARNING (Postgres' log and the migrating connection) and recorded in
            // catalog_renames, which Catalog.Api logs once at start.
            //
            // The CQRS sides stay consistent: a renamed row takes a new catalog version from the
            // counter (so do the quests paying a renamed reward: their snapshot carries it), and
            // when anything was renamed the read model is emptied, so the projector rebuilds it
            // from the write side at start (CatalogProjector.RebuildIfEmptyAsync), as after the
            // migration that introduced it. No event is written for a rename (as there was none for
            // the rows that migration versioned): consumers see the higher version in their
            // periodic resync from GET /api/quests and /api/rewards.
            migrationBuilder.Sql("""
                CREATE TABLE catalog_renames (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    kind text NOT NULL,
                    entity_id uuid NOT NULL,
                    old_name text NOT NULL,
                    new_name text NOT NULL,
                    renamed_at timestamptz NOT NULL DEFAULT now(),
                    logged boolean NOT NULL DEFAULT false);

                DO $$
                DECLARE
                    r record;
                    q record;
                    n int;
                    candidate text;
                    next_version bigint;
                    renamed int := 0;
                BEGIN
                    FOR r IN SELECT t.reward_id AS id, t.name FROM rewards t
                             WHERE EXISTS (SELECT 1 FROM rewards o WHERE o.normalized_name = t.normalized_name AND o.reward_id < t.reward_id)
                             ORDER BY t.reward_id
                    LOOP
                        n := 2;
                        LOOP
                            candidate := left(regexp_replace(r.name, '[\u200B-\u200D\u2060\uFEFF]', '', 'g'), 100 - length('~' || n)) || '~' || n;
                            UPDATE rewards SET name = candidate WHERE reward_id = r.id;
                            EXIT WHEN (SELECT count(*) FROM rewards o, rewards t
                                       WHERE t.reward_id = r.id AND o.normalized_name = t.normalized_name) = 1;
                            n := n + 1;
                        END LOOP;
                        UPDATE catalog_state SET version = version + 1 WHERE name = 'catalog' RETURNING version INTO next_version;
                        UPDATE rewards SET version = next_version WHERE reward_id = r.id;
                        FOR q IN SELECT quest_id FROM quests WHERE reward_id = r.id ORDER BY quest_id
                        LOOP
                            UPDATE catalog_state SET version = version + 1 WHERE name = 'catalog' RETURNING version INTO next_version;
                            UPDATE quests SET version = next_version WHERE quest_id = q.quest_id;
                        END LOOP;
                        INSERT INTO catalog_renames (kind, entity_id, old_name, new_name) VALUES ('reward', r.id, r.name, candidate);
                        RAISE WARNING 'catalog: reward % renamed from "%" to "%": its name differed from an older reward''s only by case, width or invisible characters', r.id, r.name, candidate;
                        renamed := renamed + 1;
                    END LOOP;

                    FOR r IN SELECT t.quest_id AS id, t.name FROM quests t
                             WHERE EXISTS (SELECT 1 FROM quests o WHERE o.normalized_name = t.normalized_name AND o.quest_id < t.quest_id)
                             ORDER BY t.quest_id
                    LOOP
                        n := 2;
                        LOOP
                            candidate := left(regexp_replace(r.name, '[\u200B-\u200D\u2060\uFEFF]', '', 'g'), 100 - length('~' || n)) || '~' || n;
                            UPDATE quests SET name = candidate WHERE quest_id = r.id;
                            EXIT WHEN (SELECT count(*) FROM quests o, quests t
                                       WHERE t.quest_id = r.id AND o.normalized_name = t.normalized_name) = 1;
                            n := n + 1;
                        END LOOP;
                        UPDATE catalog_state SET version = version + 1 WHERE name = 'catalog' RETURNING version INTO next_version;
                        UPDATE quests SET version = next_version WHERE quest_id = r.id;
                        INSERT INTO catalog_renames (kind, entity_id, old_name, new_name) VALUES ('quest', r.id, r.name, candidate);
                        RAISE WARNING 'catalog: quest % renamed from "%" to "%": its name differed from an older quest''s only by case, width or invisible characters', r.id, r.name, candidate;
                        renamed := renamed + 1;
                    END LOOP;

                    IF renamed > 0 THEN
                        DELETE FROM quest_views;
                        DELETE FROM reward_views;
                    END IF;
                END
                $$;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_rewards_normalized_name",
                table: "rewards",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_quests_normalized_name",
                table: "quests",
                column: "normalized_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Renamed rows keep their new names: the old ones were look-alikes.
            migrationBuilder.Sql("DROP TABLE catalog_renames;");

            migrationBuilder.DropIndex(
                name: "ix_rewards_normalized_name",
                table: "rewards");

            migrationBuilder.DropIndex(
                name: "ix_quests_normalized_name",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "normalized_name",
                table: "rewards");

            migrationBuilder.DropColumn(
                name: "normalized_name",
                table: "quests");
        }
    }
}
