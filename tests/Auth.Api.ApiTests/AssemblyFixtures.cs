// One Auth.Api and one set of servers for every test class of this assembly.
[assembly: AssemblyFixture(typeof(QuestAspire.Auth.Api.ApiTests.AuthApiFixture))]
