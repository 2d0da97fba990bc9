/**
 * Reads the docs of the resources' TypeScript declarations from their TSDoc, so the schema and the
 * TypeScript API say the same thing without a second copy: each exported class, interface, type
 * alias and constant of the given source files with its own doc and its members' docs
 * (`FlowActivationArgs.flowId`, `FlowSourceArgs.protocol`, the `Flow` class's declared outputs,
 * the doc of `SRT_PROTOCOLS`' type, …).
 *
 * Build-time only: it parses TypeScript with the `typescript` package, a development dependency;
 * the plugin itself reads the finished `schema.json`.
 */
import * as fs from "node:fs";
import * as ts from "typescript";

/** The docs of one declaration. */
export interface DeclarationDocs {
  /** The declaration's own doc, when it has one. */
  readonly description?: string;
  /** Its documented members (properties of a class or an interface), by name. */
  readonly members: Readonly<Record<string, string>>;
}

/** The documented declarations of some source files, by declaration name. */
export type SourceDocs = Readonly<Record<string, DeclarationDocs>>;

/**
 * Parses the docs of every exported class, interface, type alias and constant out of the files
 * (no type checking: a parse takes milliseconds).
 *
 * @param sourceFiles - paths of TypeScript files
 * @throws Error when two files declare the same name (a lookup would be ambiguous)
 */
export function readSourceDocs(sourceFiles: readonly string[]): SourceDocs {
  const docs: Record<string, DeclarationDocs> = {};
  const add = (file: string, name: string, entry: DeclarationDocs): void => {
    if (docs[name]) throw new Error(`${file} declares ${name}, which another file declares too`);
    docs[name] = entry;
  };
  for (const sourceFile of sourceFiles) {
    const source = ts.createSourceFile(
      sourceFile,
      fs.readFileSync(sourceFile, "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    for (const statement of source.statements) {
      if (!isExported(statement)) continue;
      if (
        (ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement)) &&
        statement.name
      ) {
        add(sourceFile, statement.name.text, {
          ...describedBy(statement),
          members: memberDocs(statement.members),
        });
      } else if (ts.isTypeAliasDeclaration(statement)) {
        add(sourceFile, statement.name.text, { ...describedBy(statement), members: {} });
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) {
            add(sourceFile, declaration.name.text, { ...describedBy(statement), members: {} });
          }
        }
      }
    }
  }
  return docs;
}

function isExported(statement: ts.Statement): boolean {
  return (
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some(
      (modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword,
    )
  );
}

function describedBy(node: ts.Node): { description?: string } {
  const description = docOf(node);
  return description === undefined ? {} : { description };
}

function memberDocs(nodes: readonly (ts.TypeElement | ts.ClassElement)[]): Record<string, string> {
  const members: Record<string, string> = {};
  for (const member of nodes) {
    const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
    const doc = docOf(member);
    if (name && doc && (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member))) {
      members[name] = doc;
    }
  }
  return members;
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
