global using QuestAspire.Catalog.Api.Extensions;
global using QuestAspire.Catalog.Api.Infrastructure;
global using QuestAspire.ServiceDefaults;
