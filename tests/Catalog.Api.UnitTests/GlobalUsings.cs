global using QuestAspire.Catalog.Api.Model;
global using Xunit;
global using QuestAspire.Catalog.Api.IntegrationEvents;
