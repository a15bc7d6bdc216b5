/** A bar chart (SVG) of each target's req/s as a share of the floor, per scenario. */
export function chart(summary) {
  const scenarios = Object.keys(summary);
  const targets = [
    ['OpenParse', '#2f7ed8'],
    ['parse-server', '#f28f43'],
    ['floor', '#999999'],
  ];
  const width = 120 * scenarios.length + 80;
  const height = 320;
  const bars = [];
  scenarios.forEach((scenario, i) => {
    targets.forEach(([name, color], j) => {
      const ratio = Math.min(summary[scenario][name]?.ratioToFloor ?? 0, 1.5);
      const h = Math.round(ratio * 200);
      const x = 60 + i * 120 + j * 30;
      bars.push(
        `<rect x="${x}" y="${260 - h}" width="26" height="${h}" fill="${color}"><title>${name} ${scenario}: ${summary[scenario][name]?.rps} req/s</title></rect>`,
      );
    });
    bars.push(
      `<text x="${60 + i * 120 + 45}" y="280" font-size="12" text-anchor="middle">${scenario}</text>`,
    );
  });
  const legend = targets.map(
    ([name, color], j) =>
      `<rect x="${60 + j * 130}" y="12" width="12" height="12" fill="${color}"/><text x="${76 + j * 130}" y="23" font-size="12">${name}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" role="img">
<title>OpenParse, parse-server and the floor: req/s as a share of the floor, per scenario</title>
<text x="10" y="45" font-size="11">req/s ÷ floor</text><line x1="55" y1="60" x2="${width - 10}" y2="60" stroke="#ddd"/><text x="30" y="64" font-size="10">1.0</text>
<line x1="55" y1="260" x2="${width - 10}" y2="260" stroke="#333"/>
${legend.join('\n')}
${bars.join('\n')}
</svg>
`;
}
