// The bench's cloud file, loaded by OpenParse and parse-server alike (CommonJS, the global Parse).
// `benchScore`: what a small cloud function does — read its params, answer a computed object.
Parse.Cloud.define('benchScore', (request) => {
  const { name, scores } = request.params;
  const total = scores.reduce((sum, score) => sum + score, 0);
  return { name, total, best: Math.max(...scores), average: total / scores.length };
});
