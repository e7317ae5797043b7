using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace QuestAspire.Data;

/// <summary>
/// Reads what one part of a <see cref="DbBatch"/> returned: its own result sets, in the order its
/// statements were added, leaving the reader on the next part's first.
/// </summary>
public delegate Task<T> BatchResult<T>(DbDataReader reader, CancellationToken cancellationToken);

/// <summary>
/// Several statements in one round trip (ADO.NET's <see cref="DbBatch"/>, which Npgsql pipelines),
/// in the caller's EF transaction: for the write paths whose statements EF would send one at a time.
/// Each statement still runs with its own snapshot, as a statement sent alone would. Statements
/// take positional parameters (<c>$1</c>, <c>$2</c>, …). See docs/decisions/0013-wallet-group-commit.md.
/// </summary>
public static class SqlBatch
{
    /// <summary>A batch on <paramref name="database"/>'s connection, in its current transaction (there must be one).</summary>
    public static DbBatch CreateBatch(this DatabaseFacade database)
    {
        var transaction = database.CurrentTransaction
            ?? throw new InvalidOperationException("A batch runs in the caller's transaction: begin one first.");
        var batch = database.GetDbConnection().CreateBatch();
        batch.Transaction = transaction.GetDbTransaction();
        if (database.GetCommandTimeout() is { } timeout)
        {
            batch.Timeout = timeout;
        }

        return batch;
    }

    /// <summary>Adds a statement with positional parameters (a null is sent as SQL NULL).</summary>
    public static void Add(this DbBatch batch, string sql, params object?[] values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
    }

    /// <summary>Runs a batch that returns no rows; an empty one is not sent.</summary>
    public static async Task ExecuteAsync(this DbBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Runs a batch of one part that returns rows, and reads them.</summary>
    public static async Task<T> ReadAsync<T>(this DbBatch batch, BatchResult<T> result, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await result(reader, cancellationToken);
    }

    /// <summary>Every row of the reader's current result set, then on to the next one.</summary>
    public static async Task<List<T>> ReadRowsAsync<T>(this DbDataReader reader, Func<DbDataReader, T> row, CancellationToken cancellationToken)
    {
        List<T> rows = [];
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }

        await reader.NextResultAsync(cancellationToken);
        return rows;
    }
}
