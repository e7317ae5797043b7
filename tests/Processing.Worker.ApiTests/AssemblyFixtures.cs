// One Processing.Worker (with its Catalog.Api) and one set of servers for every test class of this assembly.
[assembly: AssemblyFixture(typeof(QuestAspire.Processing.Worker.ApiTests.ProcessingWorkerFixture))]
