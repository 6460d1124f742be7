// Tailwind CSS v4 through its PostCSS plugin (the Next.js integration Tailwind documents).
export default { plugins: { '@tailwindcss/postcss': {} } };
