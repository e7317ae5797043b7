using QuestAspire;
using QuestAspire.AppHost;
using QuestAspire.AppHost.Infrastructure;
using QuestAspire.AppHost.Kubernetes;

var builder = DistributedApplication.CreateBuilder(args);
var infrastructure = builder.GetInfrastructureMode();

// Secrets: the key Auth signs its tokens with (the other services validate them), the
// password of the seeded admin account, and the key apps report events to the worker with.
var jwtSigningKey = builder.AddParameter(ResourceNames.JwtSigningKey,
    new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
var adminPassword = builder.AddParameter(ResourceNames.AdminPassword, secret: true);
var eventsServiceKey = builder.AddParameter(ResourceNames.EventsServiceKey,
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// One Postgres server, one database per service.
var postgres = builder.AddQuestPostgres(ResourceNames.Postgres, infrastructure);
var authDb = postgres.AddQuestDatabase(ResourceNames.AuthDb);
var catalogDb = postgres.AddQuestDatabase(ResourceNames.CatalogDb);
var processingDb = postgres.AddQuestDatabase(ResourceNames.ProcessingDb);

var rabbitmq = builder.AddQuestRabbitMQ(ResourceNames.RabbitMQ, infrastructure);
var redis = builder.AddQuestRedis(ResourceNames.Redis, infrastructure);

// The tests' fast tier: the servers alone, for a service hosted in the test process.
if (builder.IsInfrastructureOnly())
{
    builder.Build().Run();
    return;
}

var catalogApi = builder.AddProject<Projects.Catalog_Api>(ResourceNames.CatalogApi)
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithHttpHealthCheck("/health")
    .WithReadModelRebuild(jwtSigningKey)
    .WithApiReference();

var authApi = builder.AddProject<Projects.Auth_Api>(ResourceNames.AuthApi)
    .WithReference(authDb).WaitFor(authDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithEnvironment("Auth__AdminPassword", adminPassword)
    .WithTrustedWebProxy()
    .WithHttpHealthCheck("/health")
    .WithDeadLetterReplay(jwtSigningKey)
    .WithApiReference();

// Two replicas share the queue, so exact counts across replicas are exercised on every run.
var processingWorker = builder.AddProject<Projects.Processing_Worker>(ResourceNames.ProcessingWorker)
    .WithReplicas(2)
    .WithReference(processingDb).WaitFor(processingDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq)
    .WithReference(catalogApi).WaitFor(catalogApi)
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithEnvironment("Events__ServiceKey", eventsServiceKey)
    .WithHttpHealthCheck("/health")
    .WithDeadLetterReplay(jwtSigningKey)
    .WithProgressRebuild(jwtSigningKey)
    .WithApiReference();

// No broker and no database: the Web hears of progress from the worker's progress stream.
builder.AddProject<Projects.Web>(ResourceNames.Web)
    .WithReference(authApi).WaitFor(authApi)
    .WithReference(catalogApi).WaitFor(catalogApi)
    .WithReference(processingWorker).WaitFor(processingWorker)
    .WithExternalHttpEndpoints()
    .WithForwardedVisitorAddress()
    .WithHttpHealthCheck("/health");

builder.AddKubernetesManifests();

builder.Build().Run();
