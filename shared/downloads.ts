// Office files, archives, installers and media: what a B2B site offers behind a link. A regex
// alternation, so a site's own list (`pdf,zip`) drops straight in. Shared by the snippet and
// `leadglow inspect`, which must count the same links as downloads.
export const DOWNLOADS = 'pdf|(doc|xls|ppt)x?|od[tsp]|rtf|txt|csv|key|pages|numbers|zip|t?gz|rar|7z|dmg|exe|msi|pkg|apk|iso|mp[34]|mov|avi|wav|epub';

/** `/\.(pdf|zip)$/i` from the site's list or the default one. */
export const downloadPattern = (list?: string[] | string): RegExp =>
  RegExp('\\.(' + (list ? String(list).replace(/[\s,]+/g, '|') : DOWNLOADS) + ')$', 'i');
