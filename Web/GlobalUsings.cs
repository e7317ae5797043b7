global using QuestAspire.ServiceDefaults;
global using QuestAspire.ServiceDefaults.Authentication;
global using QuestAspire.Web.Extensions;
