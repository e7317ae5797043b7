// One Catalog.Api and one set of servers for every test class of this assembly.
[assembly: AssemblyFixture(typeof(QuestAspire.Catalog.Api.ApiTests.CatalogApiFixture))]
