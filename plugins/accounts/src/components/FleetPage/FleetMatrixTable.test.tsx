import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { setupAccountsBackend } from '../../__testUtils__/accountsBackend';
import { TestRow, testFleetMatrix } from '../../__testUtils__/fleet';
import { FleetMatrixTable, ROW_HEIGHT } from './FleetMatrixTable';

const { render } = setupAccountsBackend();

const services = Array.from({ length: 20 }, (_, i) => `service-${i}`);
const rows: TestRow[] = Array.from({ length: 2000 }, (_, i) => ({
  account: `account-${i}`,
  cells: Object.fromEntries(
    services.map(s => [s, ['1.0.0', `1.0.${i % 3}`, 'healthy']]),
  ),
}));
const matrix = testFleetMatrix({ services, rows });

const accountHref = (name: string) => `/accounts/${name}`;

function renderedAccounts() {
  return screen
    .getAllByRole('link')
    .map(link => link.textContent)
    .filter(text => text?.startsWith('account-'));
}

describe('FleetMatrixTable', () => {
  it('renders only the rows in view of 2,000 accounts × 20 services', async () => {
    await render(
      <FleetMatrixTable matrix={matrix} accountHref={accountHref} />,
    );
    const shown = renderedAccounts();
    expect(shown[0]).toBe('account-0');
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(60);
    expect(screen.getAllByRole('columnheader')).toHaveLength(21);
    expect(screen.getByRole('table')).toHaveAttribute('aria-rowcount', '2001');
    // The spacer below keeps the scrollbar true to the whole list.
    const spacer = screen
      .getByRole('table')
      .querySelector('tbody > tr:last-child') as HTMLElement;
    expect(spacer.style.height).toBe(`${(2000 - shown.length) * ROW_HEIGHT}px`);
  });

  it('renders the rows scrolled to, and not the ones scrolled past', async () => {
    await render(
      <FleetMatrixTable matrix={matrix} accountHref={accountHref} />,
    );
    const scroller = screen.getByTestId('fleet-matrix-scroller');
    scroller.scrollTop = 1000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    const shown = renderedAccounts();
    expect(shown).toContain('account-1000');
    expect(shown).toContain('account-1010');
    expect(shown).not.toContain('account-0');
    expect(shown).not.toContain('account-1999');
    expect(
      screen.getByRole('link', { name: 'account-1000' }).closest('tr'),
    ).toHaveAttribute('aria-rowindex', '1002');
  });

  it('shows the last rows when scrolled past a list that shrank', async () => {
    const fewer = testFleetMatrix({ services, rows: rows.slice(0, 30) });
    function Shrinking() {
      const [shrunk, setShrunk] = useState(false);
      return (
        <>
          <button onClick={() => setShrunk(true)}>shrink</button>
          <FleetMatrixTable
            matrix={shrunk ? fewer : matrix}
            accountHref={accountHref}
          />
        </>
      );
    }
    await render(<Shrinking />);
    const scroller = screen.getByTestId('fleet-matrix-scroller');
    scroller.scrollTop = 1500 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    expect(renderedAccounts()).toContain('account-1500');
    fireEvent.click(screen.getByRole('button', { name: 'shrink' }));
    // The last screenful, as a browser clamps the scroll position.
    const shown = renderedAccounts();
    expect(shown[shown.length - 1]).toBe('account-29');
    expect(shown).toContain('account-13');
  });
});
