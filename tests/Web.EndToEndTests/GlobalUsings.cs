global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.Testing;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Playwright;
global using QuestAspire.Testing;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
