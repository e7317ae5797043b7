namespace QuestAspire.Processing.Worker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ProcessingDbContext>(ResourceNames.ProcessingDb);
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
    }
}
