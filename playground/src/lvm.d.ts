// .lvm files are bundled as text (esbuild's text loader).
declare module "*.lvm" {
  const text: string;
  export default text;
}
