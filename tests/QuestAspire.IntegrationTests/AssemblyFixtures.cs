// One running AppHost for every test class of this assembly that asks for it.
[assembly: AssemblyFixture(typeof(QuestAspire.Testing.AppFixture))]
