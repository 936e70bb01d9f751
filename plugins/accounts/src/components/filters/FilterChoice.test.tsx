import { Environment } from '@fleet-portal/plugin-accounts-common';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { FilterChoice, YES_NO, regionsOf } from './FilterChoice';

describe('FilterChoice', () => {
  it('offers Any and the options, and reports the chosen value', () => {
    const onChange = jest.fn();
    render(
      <FilterChoice
        label="UAT"
        value=""
        options={YES_NO}
        onChange={onChange}
      />,
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: /UAT/ }));
    const listbox = within(screen.getByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual([
      'Any',
      'Yes',
      'No',
    ]);
    fireEvent.click(listbox.getByRole('option', { name: 'No' }));
    expect(onChange).toHaveBeenCalledWith('false');
  });

  it('shows a value from the URL that the options do not hold as chosen', () => {
    render(
      <FilterChoice
        label="Region"
        value="mars-1"
        options={[['europe-west4', 'europe-west4']]}
        onChange={jest.fn()}
      />,
    );
    const select = screen.getByRole('button', { name: /Region/ });
    expect(select).toHaveTextContent('mars-1');
    fireEvent.mouseDown(select);
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['Any', 'mars-1', 'europe-west4']);
  });
});

describe('regionsOf', () => {
  it("lists the environments' and their clusters' regions once each, sorted", () => {
    const env = (
      name: string,
      regions: string[],
      clusterRegions: string[],
    ): Environment => ({
      name,
      regions,
      clusters: clusterRegions.map((region, i) => ({
        name: `${name}-${i}`,
        region,
      })),
    });
    expect(
      regionsOf([
        env('staging', ['europe-west4'], ['europe-west4', 'us-east1']),
        env('production', ['us-east1', 'asia-east1'], []),
      ]),
    ).toEqual(['asia-east1', 'europe-west4', 'us-east1']);
  });
});
