// The package ships CommonJS without types: an array of role local parts (`info`, `sales`, ...).
declare module 'role-based-email-addresses' {
  const roles: readonly string[];
  export default roles;
}
