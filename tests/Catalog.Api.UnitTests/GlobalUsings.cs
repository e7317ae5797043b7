global using QuestAspire.Catalog.Api.Model;
global using Xunit;
