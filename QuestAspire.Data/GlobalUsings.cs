global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using QuestAspire.ServiceDefaults;
global using QuestAspire.EventBus;
