/**
 * Reads FlowActivation's docs from the TSDoc of its dynamic resource class
 * (`resources/flowActivation/flowActivation.ts`), so the schema and the TypeScript API say the
 * same thing without a second copy: the class comment, `FlowActivationArgs`' members (inputs),
 * `FlowActivationTimeouts`' members and the class's declared output fields.
 *
 * Build-time only: it parses TypeScript with the `typescript` package, a development dependency;
 * the plugin itself reads the finished `schema.json`.
 */
import * as fs from "node:fs";
import * as ts from "typescript";

/** FlowActivation's docs, by property name. */
export interface ResourceDocs {
  /** The resource class's doc. */
  readonly description: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;
  readonly timeouts: Readonly<Record<string, string>>;
}

/**
 * Parses the docs out of the resource's source file (no type checking: a parse takes milliseconds).
 *
 * @param sourceFile - path of `flowActivation.ts`
 * @throws Error naming what is missing when the file does not declare the expected types
 */
export function readResourceDocs(sourceFile: string): ResourceDocs {
  const source = ts.createSourceFile(
    sourceFile,
    fs.readFileSync(sourceFile, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  let description: string | undefined;
  const tables: Record<"inputs" | "outputs" | "timeouts", Record<string, string>> = {
    inputs: {},
    outputs: {},
    timeouts: {},
  };
  const members = (
    table: Record<string, string>,
    nodes: readonly (ts.TypeElement | ts.ClassElement)[],
  ): void => {
    for (const member of nodes) {
      const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
      const doc = docOf(member);
      if (name && doc && (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member))) {
        table[name] = doc;
      }
    }
  };
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === "FlowActivationArgs") {
      members(tables.inputs, statement.members);
    } else if (
      ts.isInterfaceDeclaration(statement) &&
      statement.name.text === "FlowActivationTimeouts"
    ) {
      members(tables.timeouts, statement.members);
    } else if (ts.isClassDeclaration(statement) && statement.name?.text === "FlowActivation") {
      description = docOf(statement);
      members(tables.outputs, statement.members);
    }
  }
  if (!description) throw new Error(`${sourceFile} declares no documented class FlowActivation`);
  for (const [table, entries] of Object.entries(tables)) {
    if (Object.keys(entries).length === 0) {
      throw new Error(`${sourceFile}: no documented FlowActivation ${table}`);
    }
  }
  return { description, ...tables };
}

/** The text of a node's doc comment, tags left out, on one line per paragraph. */
function docOf(node: ts.Node): string | undefined {
  const comments = ts
    .getJSDocCommentsAndTags(node)
    .filter((item): item is ts.JSDoc => ts.isJSDoc(item));
  const text = comments
    .map((comment) => ts.getTextOfJSDocComment(comment.comment) ?? "")
    .join("\n")
    .trim();
  if (!text) return undefined;
  // Paragraphs stay apart; lines wrapped for the source's width are joined.
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .join("\n\n");
}
