using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Catalog.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ReadModelAndEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "rewards",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "quests",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "catalog_events",
                columns: table => new
                {
                    version = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    data = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_events", x => x.version);
                });

            migrationBuilder.CreateTable(
                name: "catalog_state",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_state", x => x.name);
                    table.CheckConstraint("ck_catalog_state_version", "version >= 0");
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    payload = table.Column<byte[]>(type: "bytea", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    trace_state = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quest_views",
                columns: table => new
                {
                    quest_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    document = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quest_views", x => x.quest_id);
                });

            migrationBuilder.CreateTable(
                name: "reward_views",
                columns: table => new
                {
                    reward_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    document = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reward_views", x => x.reward_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_catalog_events_event_id",
                table: "catalog_events",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                column: "created_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_quest_views_name",
                table: "quest_views",
                column: "name");

            // Rows written before versions existed get versions 1..n (rewards first, so a quest's
            // version is above its reward's), and the counter starts after them. The read model
            // is left empty: the service rebuilds it from these rows at start.
            migrationBuilder.Sql("""
                WITH numbered AS (SELECT reward_id, row_number() OVER (ORDER BY name, reward_id) AS n FROM rewards)
                UPDATE rewards SET version = numbered.n FROM numbered WHERE rewards.reward_id = numbered.reward_id;

                WITH numbered AS (SELECT quest_id, (SELECT count(*) FROM rewards) + row_number() OVER (ORDER BY name, quest_id) AS n FROM quests)
                UPDATE quests SET version = numbered.n FROM numbered WHERE quests.quest_id = numbered.quest_id;

                INSERT INTO catalog_state (name, version) VALUES
                    ('catalog', (SELECT count(*) FROM rewards) + (SELECT count(*) FROM quests)),
                    ('read_model', 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_events");

            migrationBuilder.DropTable(
                name: "catalog_state");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "quest_views");

            migrationBuilder.DropTable(
                name: "reward_views");

            migrationBuilder.DropColumn(
                name: "version",
                table: "rewards");

            migrationBuilder.DropColumn(
                name: "version",
                table: "quests");
        }
    }
}
