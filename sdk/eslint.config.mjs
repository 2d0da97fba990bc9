// Generated SDKs (npm run sdkgen): the generators own their style, so nothing here is linted.
export default [{ ignores: ["**/*"] }];
