global using QuestAspire.Catalog.Api.Contracts;
global using QuestAspire.Catalog.Api.Extensions;
global using QuestAspire.Catalog.Api.Infrastructure;
global using QuestAspire.Catalog.Api.Model;
global using QuestAspire.Catalog.Api.Services;
global using QuestAspire.ServiceDefaults;
global using QuestAspire.Quests;
global using QuestAspire.Catalog.Api.IntegrationEvents;
