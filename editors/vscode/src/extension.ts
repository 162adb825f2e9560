// The VS Code client: starts `latent lsp --stdio` (the `latent.command` setting says which
// executable) for .lvm files. Everything else is the server's.
import { workspace, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const command = workspace.getConfiguration("latent").get<string>("command", "latent");
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = { documentSelector: [{ scheme: "file", language: "lvm" }, { scheme: "untitled", language: "lvm" }] };
  client = new LanguageClient("latent", "Latent", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
