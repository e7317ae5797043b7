using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace QuestAspire.Auth.Api.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class WalletLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "wallet_version",
                table: "users",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    etag = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    location = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_keys", x => new { x.scope, x.key });
                });

            migrationBuilder.CreateTable(
                name: "wallet_ledger",
                columns: table => new
                {
                    entry_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    item = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    balance_after = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reference_id = table.Column<Guid>(type: "uuid", nullable: true),
                    quest_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_ledger", x => x.entry_id);
                    table.CheckConstraint("ck_wallet_ledger_amount", "amount <> 0 AND balance_after >= 0");
                    table.ForeignKey(
                        name: "FK_wallet_ledger_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "user_id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_wallet_ledger_once",
                table: "wallet_ledger",
                columns: new[] { "source", "reference_id" },
                unique: true,
                filter: "source IN ('Claim', 'Refund')");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_ledger_user_id_seq",
                table: "wallet_ledger",
                columns: new[] { "user_id", "seq" },
                descending: new[] { false, true });

            // The balances held before the ledger began become one opening entry per player and
            // item, so from the first day every balance is the sum of its entries.
            migrationBuilder.Sql("""
                INSERT INTO wallet_ledger (entry_id, user_id, item, amount, balance_after, source, reason, created_at)
                SELECT gen_random_uuid(), user_id, o.item, o.amount, o.amount, 'Opening', 'Balance before the ledger began', now()
                FROM users, LATERAL (VALUES ('Gold', gold), ('Diamond', diamond)) AS o(item, amount)
                WHERE o.amount <> 0
                ORDER BY user_id, o.item;
                UPDATE users SET wallet_version = (gold <> 0)::int + (diamond <> 0)::int;

                CREATE FUNCTION wallet_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the wallet ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                END $$;
                CREATE TRIGGER wallet_ledger_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON wallet_ledger FOR EACH STATEMENT EXECUTE FUNCTION wallet_ledger_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER wallet_ledger_append_only ON wallet_ledger;
                DROP FUNCTION wallet_ledger_append_only();
                """);

            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropTable(
                name: "wallet_ledger");

            migrationBuilder.DropColumn(
                name: "wallet_version",
                table: "users");
        }
    }
}
