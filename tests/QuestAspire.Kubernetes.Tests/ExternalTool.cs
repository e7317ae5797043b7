using System.ComponentModel;
using System.Diagnostics;

namespace QuestAspire.Kubernetes.Tests;

/// <summary>
/// Runs the command-line tools the tests need. A tool that is not installed fails the test with
/// what to install: these tests never skip.
/// </summary>
public static class ExternalTool
{
    public sealed record Result(string Command, int ExitCode, string Output, string Error)
    {
        public override string ToString() =>
            $"'{Command}' exited with code {ExitCode}\n--- standard output ---\n{Output}\n--- standard error ---\n{Error}";
    }

    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? input = null)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var command = $"{fileName} {string.Join(' ', startInfo.ArgumentList)}";

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"'{command}' did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException($"'{fileName}' is missing ({exception.Message}): {InstallHint(fileName)}", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();

            using var timeoutSource = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{command}' did not finish within {timeout}.\n{await output}\n{await error}");
            }

            return new(command, process.ExitCode, await output, await error);
        }
    }

    private static string InstallHint(string fileName) => fileName switch
    {
        "kubectl" => "install kubectl (https://kubernetes.io/docs/tasks/tools/); the tests build the kustomizations with 'kubectl kustomize'.",
        "node" or "npm" => "install Node.js 18 or later with npm; the tests validate the manifests with the npm package kubernetes-models.",
        _ => "install it and put it on PATH.",
    };
}
