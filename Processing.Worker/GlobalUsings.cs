global using QuestAspire.Processing.Worker.Extensions;
global using QuestAspire.Processing.Worker.Infrastructure;
global using QuestAspire.ServiceDefaults;
