global using QuestAspire.ServiceDefaults;
global using QuestAspire.Web.Extensions;
