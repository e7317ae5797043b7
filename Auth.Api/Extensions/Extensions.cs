namespace QuestAspire.Auth.Api.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AuthDbContext>(ResourceNames.AuthDb);
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
    }
}
