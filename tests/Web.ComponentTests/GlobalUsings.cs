global using Bunit;
global using Microsoft.Extensions.DependencyInjection;
global using QuestAspire.ServiceDefaults.Authentication;
global using QuestAspire.Web.Contracts;
global using QuestAspire.Web.Services;
global using Xunit;
global using TestContext = Xunit.TestContext;
