using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Catalog.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class QuestKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ends_at",
                table: "quests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "event_type",
                table: "quests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "sign_in");

            migrationBuilder.AddColumn<int>(
                name: "freezes",
                table: "quests",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "quests",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "count");

            migrationBuilder.AddColumn<List<Guid>>(
                name: "precondition_ids",
                table: "quests",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'::uuid[]");

            migrationBuilder.AddColumn<string>(
                name: "reset",
                table: "quests",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "starts_at",
                table: "quests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "value_mode",
                table: "quests",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "count");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ends_at",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "event_type",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "freezes",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "precondition_ids",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "reset",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "starts_at",
                table: "quests");

            migrationBuilder.DropColumn(
                name: "value_mode",
                table: "quests");
        }
    }
}
