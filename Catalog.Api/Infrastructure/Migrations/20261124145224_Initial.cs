using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Catalog.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rewards",
                columns: table => new
                {
                    reward_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    item = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    qty = table.Column<int>(type: "integer", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rewards", x => x.reward_id);
                    table.CheckConstraint("ck_rewards_item", "item IN ('gold', 'diamond')");
                    table.CheckConstraint("ck_rewards_qty", "qty >= 1");
                });

            migrationBuilder.CreateTable(
                name: "quests",
                columns: table => new
                {
                    quest_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    streak = table.Column<int>(type: "integer", nullable: false),
                    duplication = table.Column<int>(type: "integer", nullable: false),
                    auto_claim = table.Column<bool>(type: "boolean", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    reward_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quests", x => x.quest_id);
                    table.CheckConstraint("ck_quests_duplication", "duplication >= 1");
                    table.CheckConstraint("ck_quests_streak", "streak >= 1");
                    table.ForeignKey(
                        name: "fk_quests_rewards_reward_id",
                        column: x => x.reward_id,
                        principalTable: "rewards",
                        principalColumn: "reward_id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_quests_name",
                table: "quests",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_quests_reward_id",
                table: "quests",
                column: "reward_id");

            migrationBuilder.CreateIndex(
                name: "ix_rewards_name",
                table: "rewards",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quests");

            migrationBuilder.DropTable(
                name: "rewards");
        }
    }
}
