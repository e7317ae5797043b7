using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Processing.Worker.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class QuestEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_quest_progress",
                table: "quest_progress");

            migrationBuilder.AlterColumn<long>(
                name: "progress",
                table: "quest_progress",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "period_start",
                table: "quest_progress",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: DateTimeOffset.UnixEpoch); // existing rows: quests that never reset have the one period that starts at the epoch

            migrationBuilder.AddColumn<int[]>(
                name: "days",
                table: "quest_progress",
                type: "integer[]",
                nullable: false,
                defaultValue: new int[0]);

            migrationBuilder.AddColumn<int>(
                name: "freezes_used",
                table: "quest_progress",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "spent_through",
                table: "quest_progress",
                type: "integer",
                nullable: false,
                defaultValue: int.MinValue); // no day spent yet

            migrationBuilder.AddPrimaryKey(
                name: "PK_quest_progress",
                table: "quest_progress",
                columns: new[] { "user_id", "quest_id", "period_start" });

            migrationBuilder.CreateTable(
                name: "player_zones",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_player_zones", x => x.user_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "player_zones");

            migrationBuilder.DropPrimaryKey(
                name: "PK_quest_progress",
                table: "quest_progress");

            migrationBuilder.DropColumn(
                name: "period_start",
                table: "quest_progress");

            migrationBuilder.DropColumn(
                name: "days",
                table: "quest_progress");

            migrationBuilder.DropColumn(
                name: "freezes_used",
                table: "quest_progress");

            migrationBuilder.DropColumn(
                name: "spent_through",
                table: "quest_progress");

            migrationBuilder.AlterColumn<int>(
                name: "progress",
                table: "quest_progress",
                type: "integer",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddPrimaryKey(
                name: "PK_quest_progress",
                table: "quest_progress",
                columns: new[] { "user_id", "quest_id" });
        }
    }
}
