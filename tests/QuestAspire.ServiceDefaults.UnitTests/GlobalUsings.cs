global using QuestAspire.ServiceDefaults.Messaging;
global using Xunit;
