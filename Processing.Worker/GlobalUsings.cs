global using QuestAspire.Processing.Worker.Extensions;
global using QuestAspire.Processing.Worker.Infrastructure;
global using QuestAspire.Processing.Worker.Model;
global using QuestAspire.ServiceDefaults;
global using QuestAspire.ServiceDefaults.Messaging;
