using Microsoft.EntityFrameworkCore;

namespace QuestAspire.Processing.Worker.Infrastructure;

public sealed class ProcessingDbContext(DbContextOptions<ProcessingDbContext> options) : DbContext(options)
{
}
