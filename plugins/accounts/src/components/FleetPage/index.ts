export { FleetPage, RoutedFleetPage } from './FleetPage';
