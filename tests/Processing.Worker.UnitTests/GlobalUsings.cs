global using QuestAspire.Processing.Worker.Model;
global using Xunit;
global using QuestAspire.Processing.Worker.IntegrationEvents;
