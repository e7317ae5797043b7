global using QuestAspire.Data;
global using QuestAspire.EventBus;
global using QuestAspire.Processing.Worker.Extensions;
global using QuestAspire.Processing.Worker.Infrastructure;
global using QuestAspire.Processing.Worker.IntegrationEvents;
global using QuestAspire.Processing.Worker.Model;
global using QuestAspire.ServiceDefaults;
