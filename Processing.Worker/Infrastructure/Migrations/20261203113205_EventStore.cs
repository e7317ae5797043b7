using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Processing.Worker.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class EventStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "catalog_version",
                table: "events",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "progress_rebuilds",
                columns: table => new
                {
                    rebuild_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    events_applied = table.Column<long>(type: "bigint", nullable: false),
                    events_total = table.Column<long>(type: "bigint", nullable: false),
                    players = table.Column<int>(type: "integer", nullable: false),
                    rows_changed = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_progress_rebuilds", x => x.rebuild_id);
                });

            migrationBuilder.CreateTable(
                name: "quest_versions",
                columns: table => new
                {
                    quest_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quest_versions", x => new { x.quest_id, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "ux_progress_rebuilds_running",
                table: "progress_rebuilds",
                column: "status",
                unique: true,
                filter: "status = 'running'");

            // The log is append-only: progress is a projection of it, rebuilt from it, so a row is never changed or removed.
            migrationBuilder.Sql("""
                CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the event log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                END $$;
                CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
                CREATE TRIGGER quest_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON quest_versions FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER quest_versions_append_only ON quest_versions;
                DROP TRIGGER events_append_only ON events;
                DROP FUNCTION events_append_only();
                """);

            migrationBuilder.DropTable(
                name: "progress_rebuilds");

            migrationBuilder.DropTable(
                name: "quest_versions");

            migrationBuilder.DropColumn(
                name: "catalog_version",
                table: "events");
        }
    }
}
