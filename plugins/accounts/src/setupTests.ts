import '@testing-library/jest-dom';

// The form and page tests render whole pages in jsdom: on a shared 2-core
// machine one can take over jest's default 5 s.
jest.setTimeout(30_000);
