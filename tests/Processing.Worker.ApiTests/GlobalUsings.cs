global using QuestAspire.Testing;
global using Xunit;
