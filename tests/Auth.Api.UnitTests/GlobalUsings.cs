global using Microsoft.Extensions.Time.Testing;
global using QuestAspire.Auth.Api.Model;
global using Xunit;
