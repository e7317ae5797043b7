using Microsoft.EntityFrameworkCore;

namespace QuestAspire.Auth.Api.Infrastructure;

public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options)
{
}
