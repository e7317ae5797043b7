global using QuestAspire.Processing.Worker.Model;
global using Xunit;
