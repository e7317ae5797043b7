using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuestAspire.Auth.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SecurityAndCanonicalNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_users_user_name",
                table: "users");

            migrationBuilder.AlterColumn<long>(
                name: "gold",
                table: "users",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AlterColumn<long>(
                name: "diamond",
                table: "users",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<string>(
                name: "normalized_user_name",
                table: "users",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "security_stamp",
                table: "users",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "status_before_ban",
                table: "users",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sign_in_throttles",
                columns: table => new
                {
                    user_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    failures = table.Column<int>(type: "integer", nullable: false),
                    window_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockouts = table.Column<int>(type: "integer", nullable: false),
                    last_locked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sign_in_throttles", x => x.user_key);
                });

            migrationBuilder.CreateTable(
                name: "user_name_renames",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    old_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    new_name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    renamed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    logged = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_name_renames", x => x.user_id);
                });

            // Existing names become canonical (NFKC, no control, zero-width or bidi characters,
            // trimmed), as new ones are. Of look-alikes (the same up to case) the earliest keeps
            // its name and each later one gets a suffix of its id; every changed name is recorded
            // in user_name_renames, which Auth logs at start. Nothing here can fail on existing
            // data, so the start never does.
            migrationBuilder.Sql("""
                CREATE TEMP TABLE user_name_cleanup ON COMMIT DROP AS
                SELECT user_id, user_name AS old_name, created_at,
                       COALESCE(NULLIF(btrim(regexp_replace(normalize(user_name, NFKC),
                           '[\x01-\x1F\x7F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]', '', 'g')), ''), 'user') AS clean
                FROM users;

                INSERT INTO user_name_renames (user_id, old_name, new_name, renamed_at, logged)
                SELECT user_id, old_name,
                       CASE WHEN n > 1 THEN left(clean, 31) || '-' || left(replace(user_id::text, '-', ''), 8) ELSE left(clean, 40) END,
                       now(), false
                FROM (SELECT *, row_number() OVER (PARTITION BY upper(clean) ORDER BY created_at, user_id) AS n FROM user_name_cleanup) AS ranked
                WHERE n > 1 OR clean <> old_name;

                UPDATE users AS u SET user_name = r.new_name FROM user_name_renames AS r WHERE r.user_id = u.user_id;

                UPDATE users SET normalized_user_name = upper(user_name),
                                 security_stamp = upper(md5(random()::text || user_id::text));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_users_normalized_user_name",
                table: "users",
                column: "normalized_user_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sign_in_throttles");

            migrationBuilder.DropTable(
                name: "user_name_renames");

            migrationBuilder.DropIndex(
                name: "IX_users_normalized_user_name",
                table: "users");

            migrationBuilder.DropColumn(
                name: "normalized_user_name",
                table: "users");

            migrationBuilder.DropColumn(
                name: "security_stamp",
                table: "users");

            migrationBuilder.DropColumn(
                name: "status_before_ban",
                table: "users");

            migrationBuilder.AlterColumn<int>(
                name: "gold",
                table: "users",
                type: "integer",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<int>(
                name: "diamond",
                table: "users",
                type: "integer",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.CreateIndex(
                name: "IX_users_user_name",
                table: "users",
                column: "user_name",
                unique: true);
        }
    }
}
