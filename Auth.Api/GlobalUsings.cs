global using QuestAspire.Auth.Api.Extensions;
global using QuestAspire.Auth.Api.Infrastructure;
global using QuestAspire.ServiceDefaults;
global using QuestAspire.ServiceDefaults.Authentication;
global using QuestAspire.Auth.Api.IntegrationEvents;
